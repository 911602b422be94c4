from d2l_doctor.entry import main

if __name__ == "__main__":
    main()
