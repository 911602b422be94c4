from d2l_doctor.cli import main

if __name__ == "__main__":
    main()
